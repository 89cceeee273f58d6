import {
  type TActivity,
  type TClient,
  type TPersonView,
  type TProject,
  type TTeam,
  ZActivityCreate,
  ZActivityUpdate,
  ZClientCreate,
  ZClientUpdate,
  ZPersonCreate,
  ZPersonUpdate,
  ZProjectCreate,
  ZProjectUpdate,
  ZTeamCreate,
  ZTeamUpdate,
} from '@clockpilot/contracts/directory';
import { ColorInput, NumberInput, SimpleGrid, Stack, Switch, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { ReactNode } from 'react';
import { showFormError } from '../../app/form';
import { t } from '../../app/i18n';
import { RemoteSelect } from '../../app/remote-select';
import { TimeZoneSelect } from '../../app/timezones';
import { FormActions } from '../../app/ui';
import { bodyResolver, textOrNull } from '../../app/validate';
import { DIRECTORY_PATH, type DirectoryItems, type DirectoryResource, useSaveItem } from './api';
import { wordsOf } from './words';

export type FormProps<T> = { item?: T; onDone: (saved: T) => void; onCancel: () => void };

const numberOr = (v: number | string, fallback: number | undefined) =>
  v === '' || v === null || v === undefined ? fallback : Number(v);

/** Saves the body, toasts the result, puts server field errors on the form. */
function useSubmit<R extends DirectoryResource>(
  resource: R,
  id: string | undefined,
  onDone: (saved: DirectoryItems[R]) => void,
) {
  const save = useSaveItem(resource);
  const words = wordsOf(resource);
  return {
    pending: save.isPending,
    // biome-ignore lint/suspicious/noExplicitAny: any Mantine form
    submit: async (form: any, body: unknown) => {
      try {
        const saved = await save.mutateAsync({ id, body });
        notifications.show({ color: 'green', message: t(id ? words.saved : words.created) });
        onDone(saved);
      } catch (e) {
        showFormError(form, e, { fallbackField: 'name' });
      }
    },
  };
}

function Actions({
  pending,
  editing,
  onCancel,
}: {
  pending: boolean;
  editing: boolean;
  onCancel: () => void;
}) {
  return (
    <FormActions
      submitLabel={editing ? t('directory.saveChanges') : t('directory.create')}
      pending={pending}
      onCancel={onCancel}
    />
  );
}

function FormShell({
  onSubmit,
  children,
}: {
  onSubmit: (e?: React.FormEvent<HTMLFormElement>) => void;
  children: ReactNode;
}) {
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">{children}</Stack>
    </form>
  );
}

// ---------- people ----------

type PersonValues = {
  name: string;
  email: string;
  employeeNumber: string;
  title: string;
  department: string;
  teamId: string | null;
  managerId: string | null;
  weeklyHours: number | string;
  weeklyCapacity: number | string;
  timeZone: string;
};

function personBody(v: PersonValues, editing: boolean) {
  return {
    name: v.name.trim(),
    email: textOrNull(v.email),
    employeeNumber: textOrNull(v.employeeNumber),
    title: textOrNull(v.title),
    department: textOrNull(v.department),
    teamId: v.teamId,
    managerId: v.managerId,
    weeklyHours: numberOr(v.weeklyHours, editing ? undefined : 40),
    weeklyCapacity: numberOr(v.weeklyCapacity, undefined),
    timeZone: v.timeZone,
  };
}

export function PersonForm({ item, onDone, onCancel }: FormProps<TPersonView>) {
  const editing = Boolean(item);
  const form = useForm<PersonValues>({
    initialValues: {
      name: item?.name ?? '',
      email: item?.email ?? '',
      employeeNumber: item?.employeeNumber ?? '',
      title: item?.title ?? '',
      department: item?.department ?? '',
      teamId: item?.teamId ?? null,
      managerId: item?.managerId ?? null,
      weeklyHours: item?.weeklyHours ?? 40,
      weeklyCapacity: item?.weeklyCapacity ?? '',
      timeZone: item?.timeZone ?? 'UTC',
    },
    validate: bodyResolver(editing ? ZPersonUpdate : ZPersonCreate, (v: PersonValues) =>
      personBody(v, editing),
    ),
  });
  const { submit, pending } = useSubmit('people', item?.id, onDone);
  return (
    <FormShell onSubmit={form.onSubmit((v) => submit(form, personBody(v, editing)))}>
      <TextInput label={t('directory.name')} required data-autofocus {...form.getInputProps('name')} />
      <TextInput
        label={t('directory.email')}
        type="email"
        autoComplete="off"
        {...form.getInputProps('email')}
      />
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <TextInput label={t('directory.title')} {...form.getInputProps('title')} />
        <TextInput label={t('directory.department')} {...form.getInputProps('department')} />
        <TextInput label={t('directory.employeeNumber')} {...form.getInputProps('employeeNumber')} />
        <TimeZoneSelect {...form.getInputProps('timeZone')} />
      </SimpleGrid>
      <RemoteSelect<TTeam>
        label={t('directory.team')}
        placeholder={t('directory.noTeam')}
        path={DIRECTORY_PATH.teams}
        params={{ active: 'true' }}
        getLabel={(t) => t.name}
        value={form.values.teamId}
        error={form.errors.teamId}
        onChange={(id) => form.setFieldValue('teamId', id)}
      />
      <RemoteSelect<TPersonView>
        label={t('directory.manager')}
        placeholder={t('directory.noManager')}
        path={DIRECTORY_PATH.people}
        params={{ active: 'true' }}
        exclude={item ? [item.id] : undefined}
        getLabel={(p) => p.name}
        value={form.values.managerId}
        error={form.errors.managerId}
        onChange={(id) => form.setFieldValue('managerId', id)}
      />
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <NumberInput
          label={t('directory.weeklyHours')}
          min={0}
          max={168}
          decimalScale={2}
          {...form.getInputProps('weeklyHours')}
        />
        <NumberInput
          label={t('directory.capacity')}
          description={t('directory.capacityHint')}
          min={0}
          max={168}
          decimalScale={2}
          {...form.getInputProps('weeklyCapacity')}
        />
      </SimpleGrid>
      <Actions pending={pending} editing={editing} onCancel={onCancel} />
    </FormShell>
  );
}

// ---------- teams ----------

type TeamValues = { name: string; description: string };
const teamBody = (v: TeamValues) => ({ name: v.name.trim(), description: textOrNull(v.description) });

export function TeamForm({ item, onDone, onCancel }: FormProps<TTeam>) {
  const editing = Boolean(item);
  const form = useForm<TeamValues>({
    initialValues: { name: item?.name ?? '', description: item?.description ?? '' },
    validate: bodyResolver(editing ? ZTeamUpdate : ZTeamCreate, teamBody),
  });
  const { submit, pending } = useSubmit('teams', item?.id, onDone);
  return (
    <FormShell onSubmit={form.onSubmit((v) => submit(form, teamBody(v)))}>
      <TextInput label={t('directory.name')} required data-autofocus {...form.getInputProps('name')} />
      <Textarea
        label={t('directory.description')}
        autosize
        minRows={2}
        {...form.getInputProps('description')}
      />
      <Actions pending={pending} editing={editing} onCancel={onCancel} />
    </FormShell>
  );
}

// ---------- clients ----------

type ClientValues = { name: string };

export function ClientForm({ item, onDone, onCancel }: FormProps<TClient>) {
  const editing = Boolean(item);
  const body = (v: ClientValues) => ({ name: v.name.trim() });
  const form = useForm<ClientValues>({
    initialValues: { name: item?.name ?? '' },
    validate: bodyResolver(editing ? ZClientUpdate : ZClientCreate, body),
  });
  const { submit, pending } = useSubmit('clients', item?.id, onDone);
  return (
    <FormShell onSubmit={form.onSubmit((v) => submit(form, body(v)))}>
      <TextInput label={t('directory.name')} required data-autofocus {...form.getInputProps('name')} />
      <Actions pending={pending} editing={editing} onCancel={onCancel} />
    </FormShell>
  );
}

// ---------- projects ----------

type ProjectValues = {
  clientId: string | null;
  code: string;
  name: string;
  billable: boolean;
  color: string;
  budgetHours: number | string;
};
const projectBody = (v: ProjectValues) => ({
  clientId: v.clientId ?? undefined,
  code: v.code.trim(),
  name: v.name.trim(),
  billable: v.billable,
  color: v.color,
  budgetHours: numberOr(v.budgetHours, undefined) ?? null,
});

export function ProjectForm({ item, onDone, onCancel }: FormProps<TProject>) {
  const editing = Boolean(item);
  const form = useForm<ProjectValues>({
    initialValues: {
      clientId: item?.clientId ?? null,
      code: item?.code ?? '',
      name: item?.name ?? '',
      billable: item?.billable ?? true,
      color: item?.color ?? '#3B82F6',
      budgetHours: item?.budgetHours ?? '',
    },
    validate: bodyResolver(editing ? ZProjectUpdate : ZProjectCreate, projectBody),
  });
  const { submit, pending } = useSubmit('projects', item?.id, onDone);
  return (
    <FormShell onSubmit={form.onSubmit((v) => submit(form, projectBody(v)))}>
      <RemoteSelect<TClient>
        label={t('directory.client')}
        required
        placeholder={t('directory.pickClient')}
        path={DIRECTORY_PATH.clients}
        params={{ active: 'true' }}
        getLabel={(c) => c.name}
        value={form.values.clientId}
        error={form.errors.clientId}
        onChange={(id) => form.setFieldValue('clientId', id)}
      />
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <TextInput label={t('directory.code')} required data-autofocus {...form.getInputProps('code')} />
        <TextInput label={t('directory.name')} required {...form.getInputProps('name')} />
        <ColorInput label={t('directory.colour')} format="hex" {...form.getInputProps('color')} />
        <NumberInput
          label={t('directory.budget')}
          description={t('directory.budgetHint')}
          min={0}
          {...form.getInputProps('budgetHours')}
        />
      </SimpleGrid>
      <Switch label={t('directory.billable')} {...form.getInputProps('billable', { type: 'checkbox' })} />
      <Actions pending={pending} editing={editing} onCancel={onCancel} />
    </FormShell>
  );
}

// ---------- activities ----------

type ActivityValues = { name: string; projectId: string | null };

export function ActivityForm({ item, onDone, onCancel }: FormProps<TActivity>) {
  const editing = Boolean(item);
  const body = (v: ActivityValues) =>
    editing ? { name: v.name.trim() } : { name: v.name.trim(), projectId: v.projectId };
  const form = useForm<ActivityValues>({
    initialValues: { name: item?.name ?? '', projectId: item?.projectId ?? null },
    validate: bodyResolver(editing ? ZActivityUpdate : ZActivityCreate, body),
  });
  const { submit, pending } = useSubmit('activities', item?.id, onDone);
  return (
    <FormShell onSubmit={form.onSubmit((v) => submit(form, body(v)))}>
      <TextInput label={t('directory.name')} required data-autofocus {...form.getInputProps('name')} />
      <RemoteSelect<TProject>
        label={t('directory.project')}
        placeholder={t('directory.everyProject')}
        description={editing ? t('directory.projectFixed') : t('directory.projectHint')}
        disabled={editing}
        path={DIRECTORY_PATH.projects}
        params={{ status: 'active' }}
        getLabel={(p) => `${p.code} · ${p.name}`}
        value={form.values.projectId}
        error={form.errors.projectId}
        onChange={(id) => form.setFieldValue('projectId', id)}
      />
      <Actions pending={pending} editing={editing} onCancel={onCancel} />
    </FormShell>
  );
}
