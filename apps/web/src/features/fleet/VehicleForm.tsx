import type { TVehicle } from '@clockpilot/contracts/fleet';
import {
  FUELS,
  TRANSMISSIONS,
  VEHICLE_STATUSES,
  ZVehicleCreate,
  ZVehicleUpdate,
} from '@clockpilot/contracts/fleet';
import { FileInput, NumberInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { api } from '../../app/auth';
import { showFormError } from '../../app/form';
import { TimeZoneSelect } from '../../app/timezones';
import { FormActions } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { bodyResolver } from '../../app/validate';
import { uploadPhoto, useFleetMutation } from './api';

type Values = Omit<TVehicle, 'id' | 'photoIds' | 'serviceDue' | 'createdAt' | 'updatedAt'> & {
  /** Major units as typed ("45.50"); the body carries minor units. */
  dailyRate: number | string;
  deposit: number | string;
  extraKm: number | string;
};

const minor = (v: number | string) => Math.round(Number(v) * 100);

function toBody(v: Values, editing: boolean) {
  return {
    make: v.make,
    model: v.model,
    year: Number(v.year),
    plate: v.plate,
    vin: v.vin,
    category: v.category,
    seats: Number(v.seats),
    transmission: v.transmission,
    fuel: v.fuel,
    location: v.location,
    timeZone: v.timeZone,
    currency: v.currency.toUpperCase(),
    dailyRateMinor: minor(v.dailyRate),
    depositMinor: minor(v.deposit),
    kmPerDay: Number(v.kmPerDay),
    extraKmMinor: minor(v.extraKm),
    odometerKm: Number(v.odometerKm),
    serviceDueOn: v.serviceDueOn || null,
    serviceDueKm: v.serviceDueKm ?? null,
    ...(editing ? { status: v.status } : {}),
  };
}

const BLANK: Values = {
  make: '',
  model: '',
  year: new Date().getFullYear(),
  plate: '',
  vin: '',
  category: '',
  seats: 5,
  transmission: 'manual',
  fuel: 'petrol',
  location: '',
  timeZone: 'UTC',
  currency: 'EUR',
  dailyRateMinor: 0,
  depositMinor: 0,
  kmPerDay: 200,
  extraKmMinor: 0,
  status: 'available',
  odometerKm: 0,
  serviceDueOn: null,
  serviceDueKm: null,
  dailyRate: '',
  deposit: '',
  extraKm: '0.30',
};

/** Adds or edits a vehicle (fleet managers); VIN and plate errors come back on their fields. */
export function VehicleForm({
  vehicle,
  onDone,
  onCancel,
}: {
  vehicle?: TVehicle;
  onDone: () => void;
  onCancel: () => void;
}) {
  const editing = Boolean(vehicle);
  // A new vehicle's location is most likely in the manager's own zone.
  const myZone = useMe().timeZone;
  const form = useForm<Values>({
    initialValues: vehicle
      ? {
          ...BLANK,
          ...vehicle,
          dailyRate: vehicle.dailyRateMinor / 100,
          deposit: vehicle.depositMinor / 100,
          extraKm: vehicle.extraKmMinor / 100,
        }
      : { ...BLANK, timeZone: myZone },
    validate: bodyResolver(editing ? ZVehicleUpdate : ZVehicleCreate, (v: Values) => toBody(v, editing)),
  });
  const [photo, setPhoto] = useState<File | null>(null);
  const save = useFleetMutation(async (body: unknown) => {
    const saved = vehicle
      ? await api<TVehicle>('PATCH', `/api/v1/fleet/vehicles/${vehicle.id}`, { body })
      : await api<TVehicle>('POST', '/api/v1/fleet/vehicles', { body });
    if (photo) await uploadPhoto(`/api/v1/fleet/vehicles/${saved.id}/photos`, photo);
    return saved;
  });
  const field = (name: keyof Values) => form.getInputProps(name);
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (v) => {
        try {
          await save.mutateAsync(toBody(v, editing));
          notifications.show({ color: 'green', message: editing ? 'Vehicle saved' : 'Vehicle added' });
          onDone();
        } catch (e) {
          showFormError(form, e, { fallbackField: 'plate' });
        }
      })}
    >
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <TextInput label="Make" required data-autofocus {...field('make')} />
          <TextInput label="Model" required {...field('model')} />
          <NumberInput label="Year" required {...field('year')} />
          <TextInput label="Plate" required {...field('plate')} />
          <TextInput label="VIN" required maxLength={17} {...field('vin')} />
          <TextInput label="Category" required placeholder="compact, van…" {...field('category')} />
          <TextInput label="Location" required {...field('location')} />
          <TimeZoneSelect
            required
            description="Of the location: staff pages count its days in it"
            {...field('timeZone')}
          />
          <NumberInput label="Seats" required min={1} {...field('seats')} />
          <Select
            label="Transmission"
            data={[...TRANSMISSIONS]}
            allowDeselect={false}
            {...field('transmission')}
          />
          <Select label="Fuel" data={[...FUELS]} allowDeselect={false} {...field('fuel')} />
          <TextInput label="Currency" required maxLength={3} {...field('currency')} />
          <NumberInput label="Daily rate" required min={0} decimalScale={2} {...field('dailyRate')} />
          <NumberInput label="Deposit" required min={0} decimalScale={2} {...field('deposit')} />
          <NumberInput label="Km included per day (0 = unlimited)" min={0} {...field('kmPerDay')} />
          <NumberInput label="Price per extra km" min={0} decimalScale={2} {...field('extraKm')} />
          <NumberInput label="Odometer (km)" min={0} {...field('odometerKm')} />
          {editing && (
            <Select label="Status" data={[...VEHICLE_STATUSES]} allowDeselect={false} {...field('status')} />
          )}
        </SimpleGrid>
        <FileInput
          label="Add a photo"
          accept="image/jpeg,image/png,image/webp"
          clearable
          value={photo}
          onChange={setPhoto}
        />
        <FormActions
          submitLabel={editing ? 'Save changes' : 'Add vehicle'}
          pending={save.isPending}
          onCancel={onCancel}
        />
      </Stack>
    </form>
  );
}
