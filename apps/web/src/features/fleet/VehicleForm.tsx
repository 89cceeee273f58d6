import type { TVehicle } from '@clockpilot/contracts/fleet';
import {
  FUELS,
  minorUnitDigits,
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
import { t } from '../../app/i18n';
import { TimeZoneSelect } from '../../app/timezones';
import { FormActions } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { bodyResolver } from '../../app/validate';
import { uploadPhoto, useFleetMutation } from './api';
import {
  FUEL_LABEL,
  majorUnits,
  minorUnits,
  options,
  TRANSMISSION_LABEL,
  VEHICLE_STATUS_LABEL,
} from './format';

type Values = Omit<TVehicle, 'id' | 'photoIds' | 'serviceDue' | 'createdAt' | 'updatedAt'> & {
  /** Major units as typed ("45.50", or "8000" yen); the body carries minor units. */
  dailyRate: number | string;
  deposit: number | string;
  extraKm: number | string;
};

function toBody(v: Values, editing: boolean) {
  const minor = (amount: number | string) => minorUnits(amount, v.currency);
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
          dailyRate: majorUnits(vehicle.dailyRateMinor, vehicle.currency),
          deposit: majorUnits(vehicle.depositMinor, vehicle.currency),
          extraKm: majorUnits(vehicle.extraKmMinor, vehicle.currency),
        }
      : { ...BLANK, timeZone: myZone },
    validate: bodyResolver(editing ? ZVehicleUpdate : ZVehicleCreate, (v: Values) => toBody(v, editing)),
  });
  // A yen has no cents: the rates take as many decimals as the currency has.
  const digits = minorUnitDigits(form.values.currency);
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
          notifications.show({
            color: 'green',
            message: t(editing ? 'fleet.vehicleSaved' : 'fleet.vehicleAdded'),
          });
          onDone();
        } catch (e) {
          showFormError(form, e, { fallbackField: 'plate' });
        }
      })}
    >
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <TextInput label={t('fleet.make')} required data-autofocus {...field('make')} />
          <TextInput label={t('fleet.model')} required {...field('model')} />
          <NumberInput label={t('fleet.year')} required {...field('year')} />
          <TextInput label={t('fleet.plate')} required {...field('plate')} />
          <TextInput label={t('fleet.vin')} required maxLength={17} {...field('vin')} />
          <TextInput
            label={t('fleet.category')}
            required
            placeholder={t('fleet.categoryExample')}
            {...field('category')}
          />
          <TextInput label={t('fleet.location')} required {...field('location')} />
          <TimeZoneSelect required description={t('fleet.zoneOfLocation')} {...field('timeZone')} />
          <NumberInput label={t('fleet.seatsField')} required min={1} {...field('seats')} />
          <Select
            label={t('fleet.transmission')}
            data={options(TRANSMISSIONS, TRANSMISSION_LABEL)}
            allowDeselect={false}
            {...field('transmission')}
          />
          <Select
            label={t('fleet.fuel')}
            data={options(FUELS, FUEL_LABEL)}
            allowDeselect={false}
            {...field('fuel')}
          />
          <TextInput label={t('fleet.currency')} required maxLength={3} {...field('currency')} />
          <NumberInput
            label={t('fleet.dailyRate')}
            required
            min={0}
            decimalScale={digits}
            {...field('dailyRate')}
          />
          <NumberInput
            label={t('fleet.depositField')}
            required
            min={0}
            decimalScale={digits}
            {...field('deposit')}
          />
          <NumberInput label={t('fleet.kmPerDay')} min={0} {...field('kmPerDay')} />
          <NumberInput label={t('fleet.extraKmPrice')} min={0} decimalScale={digits} {...field('extraKm')} />
          <NumberInput label={t('fleet.odometer')} min={0} {...field('odometerKm')} />
          {editing && (
            <Select
              label={t('fleet.status')}
              data={options(VEHICLE_STATUSES, VEHICLE_STATUS_LABEL)}
              allowDeselect={false}
              {...field('status')}
            />
          )}
        </SimpleGrid>
        <FileInput
          label={t('fleet.addPhoto')}
          accept="image/jpeg,image/png,image/webp"
          clearable
          value={photo}
          onChange={setPhoto}
        />
        <FormActions
          submitLabel={t(editing ? 'fleet.saveChanges' : 'fleet.addVehicle')}
          pending={save.isPending}
          onCancel={onCancel}
        />
      </Stack>
    </form>
  );
}
