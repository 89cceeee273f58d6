import type { TPersonView, TProject } from '@clockpilot/contracts/directory';
import {
  DELIVERABLE_STATUSES,
  type TAssignment,
  type TDeliverable,
  type TDeliverableUpdated,
  type THoliday,
  type TTimeOff,
  ZAssignmentCreate,
  ZAssignmentUpdate,
  ZDeliverableCreate,
  ZDeliverableUpdate,
  ZHolidayCreate,
  ZHolidayUpdate,
  ZTimeOffCreate,
  ZTimeOffUpdate,
} from '@clockpilot/contracts/planning';
import { NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { type UseFormReturnType, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { ReactNode } from 'react';
import { showFormError } from '../../app/form';
import { dateText } from '../../app/format';
import { t } from '../../app/i18n';
import { RemoteSelect } from '../../app/remote-select';
import { FormActions } from '../../app/ui';
import { bodyResolver, textOrNull } from '../../app/validate';
import { type PlanningItems, type PlanningResource, useSavePlanning } from './api';
import { ASSIGNMENT_STATUS_LABEL, DELIVERABLE_STATUS_LABEL, RESOURCE_TEXT } from './text';

export type FormProps<T, S = T> = { item?: T; onDone: (saved: S) => void; onCancel: () => void };
const PEOPLE = '/api/v1/people';
const PROJECTS = '/api/v1/projects';

/** The form, its save with toasts, and server field errors on the fields; `fallbackField` takes the rest. */
function PlanningForm<V extends Record<string, unknown>, R extends PlanningResource>({
  form,
  resource,
  id,
  toBody,
  fallbackField,
  onDone,
  onCancel,
  children,
}: {
  form: UseFormReturnType<V>;
  resource: R;
  id: string | undefined;
  toBody: (v: V) => unknown;
  fallbackField: string;
  onDone: (saved: PlanningItems[R]) => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const save = useSavePlanning(resource);
  const submit = form.onSubmit(async (v) => {
    try {
      const saved = await save.mutateAsync({ id, body: toBody(v) });
      const text = RESOURCE_TEXT[resource];
      notifications.show({ color: 'green', message: t(id ? text.saved : text.created) });
      onDone(saved as PlanningItems[R]);
    } catch (e) {
      showFormError(form, e, { fallbackField });
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {children}
        <FormActions
          submitLabel={t(id ? 'planning.saveChanges' : 'planning.create')}
          pending={save.isPending}
          onCancel={onCancel}
        />
      </Stack>
    </form>
  );
}

const projectLabel = (p: TProject) => `${p.code} · ${p.name}`;

/** A RemoteSelect bound to an id field of a form. */
function picker<V extends Record<string, unknown>>(form: UseFormReturnType<V>, field: keyof V & string) {
  return {
    value: (form.getValues()[field] as string | null) ?? null,
    error: form.errors[field],
    onChange: (id: string | null) => form.setFieldValue(field, id as never),
  };
}

// ---------- deliverables ----------

type DeliverableValues = {
  projectId: string | null;
  name: string;
  description: string;
  startDate: string;
  dueDate: string;
  status: string;
};
const deliverableBody = (v: DeliverableValues, editing: boolean) => ({
  ...(editing ? {} : { projectId: v.projectId }),
  name: v.name.trim(),
  description: textOrNull(v.description),
  startDate: v.startDate || null,
  dueDate: v.dueDate,
  status: v.status,
});

export function DeliverableForm({
  item,
  onDone,
  onCancel,
  projectId,
}: FormProps<TDeliverable, TDeliverableUpdated> & { projectId?: string | null }) {
  const editing = Boolean(item);
  const form = useForm<DeliverableValues>({
    initialValues: {
      projectId: item?.projectId ?? projectId ?? null,
      name: item?.name ?? '',
      description: item?.description ?? '',
      startDate: item?.startDate ?? '',
      dueDate: item?.dueDate ?? '',
      status: item?.status ?? 'planned',
    },
    validate: bodyResolver(editing ? ZDeliverableUpdate : ZDeliverableCreate, (v: DeliverableValues) =>
      deliverableBody(v, editing),
    ),
  });
  return (
    <PlanningForm
      form={form}
      resource="deliverables"
      id={item?.id}
      toBody={(v) => deliverableBody(v, editing)}
      fallbackField="name"
      onDone={(d) => onDone(d as TDeliverableUpdated)}
      onCancel={onCancel}
    >
      <RemoteSelect<TProject>
        label={t('planning.project')}
        required
        disabled={editing}
        path={PROJECTS}
        getLabel={projectLabel}
        {...picker(form, 'projectId')}
      />
      <TextInput label={t('planning.name')} required data-autofocus {...form.getInputProps('name')} />
      <Textarea
        label={t('planning.description')}
        autosize
        minRows={2}
        {...form.getInputProps('description')}
      />
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <TextInput label={t('planning.startDate')} type="date" {...form.getInputProps('startDate')} />
        <TextInput label={t('planning.dueDate')} type="date" required {...form.getInputProps('dueDate')} />
      </SimpleGrid>
      <Select
        label={t('planning.status')}
        data={DELIVERABLE_STATUSES.map((s) => ({ value: s, label: t(DELIVERABLE_STATUS_LABEL[s]) }))}
        allowDeselect={false}
        {...form.getInputProps('status')}
      />
    </PlanningForm>
  );
}

// ---------- assignments ----------

type AssignmentValues = {
  projectId: string | null;
  deliverableId: string | null;
  who: 'person' | 'placeholder';
  personId: string | null;
  placeholder: string;
  status: string;
  note: string;
};
const assignmentBody = (v: AssignmentValues, editing: boolean) => ({
  ...(editing ? {} : { projectId: v.projectId }),
  deliverableId: v.deliverableId,
  personId: v.who === 'person' ? v.personId : null,
  placeholder: v.who === 'placeholder' ? textOrNull(v.placeholder) : null,
  status: v.status,
  note: textOrNull(v.note),
});

export function AssignmentForm({
  item,
  onDone,
  onCancel,
  projectId,
}: FormProps<TAssignment> & { projectId?: string | null }) {
  const editing = Boolean(item);
  const form = useForm<AssignmentValues>({
    initialValues: {
      projectId: item?.projectId ?? projectId ?? null,
      deliverableId: item?.deliverableId ?? null,
      who: item?.placeholder ? 'placeholder' : 'person',
      personId: item?.personId ?? null,
      placeholder: item?.placeholder ?? '',
      status: item?.status ?? 'confirmed',
      note: item?.note ?? '',
    },
    validate: bodyResolver(editing ? ZAssignmentUpdate : ZAssignmentCreate, (v: AssignmentValues) =>
      assignmentBody(v, editing),
    ),
  });
  const v = form.getValues();
  return (
    <PlanningForm
      form={form}
      resource="assignments"
      id={item?.id}
      toBody={(x) => assignmentBody(x, editing)}
      fallbackField="personId"
      onDone={(a) => onDone(a as TAssignment)}
      onCancel={onCancel}
    >
      <RemoteSelect<TProject>
        label={t('planning.project')}
        required
        disabled={editing}
        path={PROJECTS}
        getLabel={projectLabel}
        {...picker(form, 'projectId')}
        onChange={(id) => {
          form.setFieldValue('projectId', id);
          form.setFieldValue('deliverableId', null);
        }}
      />
      <RemoteSelect<TDeliverable>
        key={v.projectId ?? 'none'}
        label={t('planning.deliverable')}
        placeholder={t('planning.wholeProject')}
        clearable
        disabled={!v.projectId}
        path="/api/v1/planning/deliverables"
        params={{ projectId: v.projectId ?? undefined }}
        getLabel={(d) => t('planning.deliverableDue', { name: d.name, date: dateText(d.dueDate) })}
        {...picker(form, 'deliverableId')}
      />
      <SegmentedControl
        aria-label={t('planning.assignedTo')}
        data={[
          { value: 'person', label: t('planning.aPerson') },
          { value: 'placeholder', label: t('planning.aRole') },
        ]}
        {...form.getInputProps('who')}
      />
      {v.who === 'person' ? (
        <RemoteSelect<TPersonView>
          label={t('planning.person')}
          required
          path={PEOPLE}
          params={{ active: 'true' }}
          getLabel={(p) => p.name}
          {...picker(form, 'personId')}
        />
      ) : (
        <TextInput
          label={t('planning.role')}
          required
          placeholder={t('planning.roleExample')}
          {...form.getInputProps('placeholder')}
        />
      )}
      <Select
        label={t('planning.status')}
        data={(['confirmed', 'tentative'] as const).map((s) => ({
          value: s,
          label: t(ASSIGNMENT_STATUS_LABEL[s]),
        }))}
        allowDeselect={false}
        {...form.getInputProps('status')}
      />
      <Textarea label={t('planning.note')} autosize minRows={2} {...form.getInputProps('note')} />
    </PlanningForm>
  );
}

// ---------- time off and holidays ----------

type TimeOffValues = {
  personId: string | null;
  startDate: string;
  endDate: string;
  dayFraction: number | string;
  note: string;
};
const timeOffBody = (v: TimeOffValues, editing: boolean) => ({
  ...(editing ? {} : { personId: v.personId }),
  startDate: v.startDate,
  endDate: v.endDate,
  dayFraction: Number(v.dayFraction),
  note: textOrNull(v.note),
});

export function TimeOffForm({ item, onDone, onCancel }: FormProps<TTimeOff>) {
  const editing = Boolean(item);
  const form = useForm<TimeOffValues>({
    initialValues: {
      personId: item?.personId ?? null,
      startDate: item?.startDate ?? '',
      endDate: item?.endDate ?? '',
      dayFraction: item?.dayFraction ?? 1,
      note: item?.note ?? '',
    },
    validate: bodyResolver(editing ? ZTimeOffUpdate : ZTimeOffCreate, (v: TimeOffValues) =>
      timeOffBody(v, editing),
    ),
  });
  return (
    <PlanningForm
      form={form}
      resource="time-off"
      id={item?.id}
      toBody={(v) => timeOffBody(v, editing)}
      fallbackField="startDate"
      onDone={(t) => onDone(t as TTimeOff)}
      onCancel={onCancel}
    >
      <RemoteSelect<TPersonView>
        label={t('planning.person')}
        required
        disabled={editing}
        path={PEOPLE}
        getLabel={(p) => p.name}
        {...picker(form, 'personId')}
      />
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <TextInput label={t('planning.firstDay')} type="date" required {...form.getInputProps('startDate')} />
        <TextInput label={t('planning.lastDay')} type="date" required {...form.getInputProps('endDate')} />
      </SimpleGrid>
      <NumberInput
        label={t('planning.dayShare')}
        description={t('planning.dayShareHint')}
        min={0.01}
        max={1}
        step={0.25}
        decimalScale={2}
        {...form.getInputProps('dayFraction')}
      />
      <Textarea label={t('planning.note')} autosize minRows={2} {...form.getInputProps('note')} />
    </PlanningForm>
  );
}

type HolidayValues = { date: string; name: string; region: string };
const holidayBody = (v: HolidayValues) => ({
  date: v.date,
  name: v.name.trim(),
  region: textOrNull(v.region),
});

export function HolidayForm({ item, onDone, onCancel }: FormProps<THoliday>) {
  const form = useForm<HolidayValues>({
    initialValues: { date: item?.date ?? '', name: item?.name ?? '', region: item?.region ?? '' },
    validate: bodyResolver(item ? ZHolidayUpdate : ZHolidayCreate, holidayBody),
  });
  return (
    <PlanningForm
      form={form}
      resource="holidays"
      id={item?.id}
      toBody={holidayBody}
      fallbackField="date"
      onDone={(h) => onDone(h as THoliday)}
      onCancel={onCancel}
    >
      <TextInput label={t('planning.date')} type="date" required {...form.getInputProps('date')} />
      <TextInput label={t('planning.name')} required {...form.getInputProps('name')} />
      <TextInput
        label={t('planning.region')}
        description={t('planning.regionHint')}
        {...form.getInputProps('region')}
      />
    </PlanningForm>
  );
}
