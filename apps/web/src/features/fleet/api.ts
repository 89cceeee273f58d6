import type { TBooking, TPhoto, TQuote, TVehicle } from '@clockpilot/contracts/fleet';
import type {
  TPaymentNoticeList,
  TPaymentSettings,
  TVerification,
  TVerificationStarted,
} from '@clockpilot/contracts/fleet-payments';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { toApiError } from '../../app/api';
import { api, authFetch } from '../../app/auth';

export const fleetKeys = {
  all: ['fleet'] as const,
  vehicles: ['fleet', 'vehicles'] as const,
  bookings: ['fleet', 'bookings'] as const,
  booking: (id: string) => ['fleet', 'booking', id] as const,
  verification: ['fleet', 'verification'] as const,
};

export type Availability = { from: string; to: string; items: Array<{ vehicle: TVehicle; quote: TQuote }> };
export type CalendarItem = {
  kind: 'booking' | 'hold' | 'maintenance';
  id: string;
  startAt: string;
  endAt: string;
  busyUntil: string;
  state: TBooking['state'] | null;
  label: string;
};

export const paymentSettingsQuery = queryOptions({
  queryKey: ['fleet', 'payment-settings'],
  queryFn: ({ signal }) => api<TPaymentSettings>('GET', '/api/v1/fleet/payment-settings', { signal }),
  staleTime: Number.POSITIVE_INFINITY,
});

/** What the renter must know about their payments (an authorisation that failed before pick-up, a dispute). */
export const paymentNoticesQuery = queryOptions({
  queryKey: [...fleetKeys.all, 'payment-notices'],
  queryFn: ({ signal }) => api<TPaymentNoticeList>('GET', '/api/v1/fleet/payment-notices', { signal }),
});

export const verificationQuery = queryOptions({
  queryKey: fleetKeys.verification,
  queryFn: ({ signal }) => api<TVerification>('GET', '/api/v1/fleet/verification', { signal }),
});

/** Whether a booking waits on its payment provider (the renter's card, a webhook). */
export const awaitingProvider = (b: TBooking | undefined) =>
  b?.state === 'held' && b.payment.intentId !== null;

/** A booking, read again every second while it waits on its payment provider. */
export const bookingQuery = (id: string) =>
  queryOptions({
    queryKey: fleetKeys.booking(id),
    queryFn: ({ signal }) => api<TBooking>('GET', `/api/v1/fleet/bookings/${id}`, { signal }),
    refetchInterval: (q) => (awaitingProvider(q.state.data) ? 1000 : false),
  });

export const vehicleQuery = (id: string) =>
  queryOptions({
    queryKey: [...fleetKeys.vehicles, id],
    queryFn: ({ signal }) => api<TVehicle>('GET', `/api/v1/fleet/vehicles/${id}`, { signal }),
  });

/** Any fleet write; every fleet list and booking is read again afterwards. */
export function useFleetMutation<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: fleetKeys.all }) });
}

export const bookingAction = (id: string, action: string, body?: unknown) =>
  api<TBooking>('POST', `/api/v1/fleet/bookings/${id}/${action}`, { body: body ?? {} });

/** Uploads one photo as multipart; the server reads its type from the bytes. */
export async function uploadPhoto(path: string, file: Blob): Promise<TPhoto> {
  const form = new FormData();
  form.append('file', file);
  const res = await authFetch(path, { method: 'POST', body: form, headers: { accept: 'application/json' } });
  if (!res.ok) throw await toApiError(res);
  return (await res.json()) as TPhoto;
}

export const startVerification = () =>
  api<TVerificationStarted>('POST', '/api/v1/fleet/verification', { body: {} });
