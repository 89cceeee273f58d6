import type { ASSIGNMENT_STATUSES, DELIVERABLE_STATUSES } from '@clockpilot/contracts/planning';
import { type MessageKey, t } from '../../app/i18n';
import type { PlanningResource } from './api';

type ResourceText = Record<'list' | 'new' | 'edit' | 'deleteAsk' | 'saved' | 'created', MessageKey>;

/** What each planning list calls its items: its caption, buttons, titles, toasts and confirmation. */
export const RESOURCE_TEXT: Record<PlanningResource, ResourceText> = {
  deliverables: {
    list: 'planning.deliverables',
    new: 'planning.deliverable.new',
    edit: 'planning.deliverable.edit',
    deleteAsk: 'planning.deliverable.deleteAsk',
    saved: 'planning.deliverable.saved',
    created: 'planning.deliverable.created',
  },
  assignments: {
    list: 'planning.assignments',
    new: 'planning.assignment.new',
    edit: 'planning.assignment.edit',
    deleteAsk: 'planning.assignment.deleteAsk',
    saved: 'planning.assignment.saved',
    created: 'planning.assignment.created',
  },
  'time-off': {
    list: 'planning.timeOff',
    new: 'planning.timeOff.new',
    edit: 'planning.timeOff.edit',
    deleteAsk: 'planning.timeOff.deleteAsk',
    saved: 'planning.timeOff.saved',
    created: 'planning.timeOff.created',
  },
  holidays: {
    list: 'planning.holidays',
    new: 'planning.holiday.new',
    edit: 'planning.holiday.edit',
    deleteAsk: 'planning.holiday.deleteAsk',
    saved: 'planning.holiday.saved',
    created: 'planning.holiday.created',
  },
};

export const DELIVERABLE_STATUS_LABEL: Record<(typeof DELIVERABLE_STATUSES)[number], MessageKey> = {
  planned: 'planning.status.planned',
  active: 'planning.status.active',
  done: 'planning.status.done',
  cancelled: 'planning.status.cancelled',
};

export const ASSIGNMENT_STATUS_LABEL: Record<(typeof ASSIGNMENT_STATUSES)[number], MessageKey> = {
  confirmed: 'planning.status.confirmed',
  tentative: 'planning.status.tentative',
};

/** An ISO week's short column label: `W49` / `KW 49`. */
export const weekLabel = (isoWeek: string) => t('planning.weekShort', { n: isoWeek.slice(6) });

/** A placeholder's row label: "Senior designer (open role)". */
export const openRole = (placeholder: string | null) => t('planning.openRole', { role: placeholder ?? '' });
