import type { TBooking } from '@clockpilot/contracts/fleet';
import { DAMAGE_SEVERITIES, HANDOVER_ANGLES } from '@clockpilot/contracts/fleet';
import {
  Button,
  FileInput,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Slider,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCamera, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage } from '../../app/api';
import { type MessageKey, t } from '../../app/i18n';
import { bookingAction, uploadPhoto, useFleetMutation } from './api';
import { options, SEVERITY_LABEL } from './format';

type Angle = (typeof HANDOVER_ANGLES)[number];
type Damage = { area: string; severity: (typeof DAMAGE_SEVERITIES)[number]; note: string };

const ANGLE_LABEL: Record<Angle, MessageKey> = {
  front: 'fleet.angle.front',
  rear: 'fleet.angle.rear',
  left: 'fleet.angle.left',
  right: 'fleet.angle.right',
};

/** What a check-out or return sends: no amount, the server computes the bill. */
export function handoverBody(v: {
  odometerKm: number | string;
  fuelEighths: number;
  photoIds: Partial<Record<Angle, string>>;
  damage: Damage[];
  notes: string;
}) {
  return {
    odometerKm: Number(v.odometerKm),
    fuelEighths: v.fuelEighths,
    photoIds: v.photoIds,
    damage: v.damage
      .filter((d) => d.area.trim() !== '')
      .map((d) => ({ area: d.area.trim(), severity: d.severity, note: d.note.trim() || null })),
    notes: v.notes.trim() || null,
  };
}

/**
 * Staff hand the vehicle over (`checkout`) or take it back (`return`): a photo of each angle (the
 * phone's camera opens), odometer, fuel, damage. The photos upload as soon as they are chosen.
 */
export function HandoverForm({ booking, kind }: { booking: TBooking; kind: 'checkout' | 'return' }) {
  const [odometerKm, setOdometer] = useState<number | string>(booking.checkout?.odometerKm ?? '');
  const [fuelEighths, setFuel] = useState(booking.checkout?.fuelEighths ?? 8);
  const [photoIds, setPhotoIds] = useState<Partial<Record<Angle, string>>>({});
  const [damage, setDamage] = useState<Damage[]>([]);
  const patch = (i: number, change: Partial<Damage>) =>
    setDamage((all) => all.map((x, j) => (j === i ? { ...x, ...change } : x)));
  const [notes, setNotes] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const upload = useFleetMutation(({ angle, file }: { angle: Angle; file: File }) =>
    uploadPhoto(`/api/v1/fleet/bookings/${booking.id}/photos?angle=${angle}`, file),
  );
  const submit = useFleetMutation(() =>
    bookingAction(booking.id, kind, handoverBody({ odometerKm, fuelEighths, photoIds, damage, notes })),
  );
  const label = t(kind === 'checkout' ? 'fleet.checkOut' : 'fleet.takeBack');
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        setErrors({});
        try {
          await submit.mutateAsync();
          notifications.show({
            color: 'green',
            message: t(kind === 'checkout' ? 'fleet.handedOver' : 'fleet.vehicleReturned'),
          });
        } catch (err) {
          const fields = (err as { fieldErrors?: Record<string, string> }).fieldErrors ?? {};
          setErrors(Object.keys(fields).length ? fields : { root: errorMessage(err) });
        }
      }}
    >
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          {HANDOVER_ANGLES.map((angle) => (
            <FileInput
              key={angle}
              label={t('fleet.photoOf', { angle: t(ANGLE_LABEL[angle]) })}
              accept="image/jpeg,image/png,image/webp"
              capture="environment"
              leftSection={<IconCamera size={16} aria-hidden />}
              placeholder={t('fleet.takePhoto')}
              description={photoIds[angle] ? t('fleet.uploaded') : undefined}
              error={errors[`photoIds.${angle}`]}
              onChange={async (file) => {
                if (!file) return;
                try {
                  const p = await upload.mutateAsync({ angle, file });
                  setPhotoIds((ids) => ({ ...ids, [angle]: p.id }));
                } catch (err) {
                  setErrors((x) => ({ ...x, [`photoIds.${angle}`]: errorMessage(err) }));
                }
              }}
            />
          ))}
          <NumberInput
            label={t('fleet.odometer')}
            required
            min={0}
            value={odometerKm}
            onChange={setOdometer}
            error={errors.odometerKm}
          />
          <div>
            <Text size="sm" fw={500}>
              {t('fleet.fuelLevel', { fuel: fuelEighths })}
            </Text>
            <Slider
              min={0}
              max={8}
              step={1}
              value={fuelEighths}
              onChange={setFuel}
              label={(v) => `${v}/8`}
              aria-label={t('fleet.fuelEighths')}
            />
          </div>
        </SimpleGrid>
        {damage.map((d, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are only appended and removed by position
          <Group key={i} gap="xs" align="flex-end" wrap="wrap">
            <TextInput
              label={t('fleet.damageArea')}
              value={d.area}
              onChange={(e) => patch(i, { area: e.currentTarget.value })}
            />
            <Select
              label={t('fleet.severity')}
              data={options(DAMAGE_SEVERITIES, SEVERITY_LABEL)}
              allowDeselect={false}
              value={d.severity}
              w={110}
              onChange={(v) => patch(i, { severity: v as Damage['severity'] })}
            />
            <TextInput
              label={t('fleet.note')}
              value={d.note}
              onChange={(e) => patch(i, { note: e.currentTarget.value })}
            />
            <Button
              variant="subtle"
              color="red"
              aria-label={t('fleet.removeDamage')}
              onClick={() => setDamage(damage.filter((_, j) => j !== i))}
            >
              <IconTrash size={16} aria-hidden />
            </Button>
          </Group>
        ))}
        <Button
          variant="light"
          size="xs"
          w="fit-content"
          onClick={() => setDamage([...damage, { area: '', severity: 'scratch', note: '' }])}
        >
          {t('fleet.addDamage')}
        </Button>
        <Textarea
          label={t('fleet.notes')}
          value={notes}
          onChange={(e) => setNotes(e.currentTarget.value)}
          autosize
          minRows={2}
        />
        {errors.root && (
          <Text c="red" role="alert">
            {errors.root}
          </Text>
        )}
        <Button type="submit" loading={submit.isPending} disabled={upload.isPending}>
          {label}
        </Button>
      </Stack>
    </form>
  );
}
