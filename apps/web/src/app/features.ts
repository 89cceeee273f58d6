import type { AnyRoute } from '@tanstack/react-router';
import type { ComponentType } from 'react';
import { autoscalerFeature } from '../features/autoscaler/routes';
import { directoryFeature } from '../features/directory/routes';
import { fleetFeature } from '../features/fleet/routes';
import { identityFeature } from '../features/identity/routes';
import { planningFeature } from '../features/planning/routes';
import { timeFeature } from '../features/time/routes';
import type { NavItem } from './nav';
import { type ProblemWords, wordProblems } from './problems';
import type { AppRoute } from './router';

/**
 * The web side of one server module: its pages under the signed-in layout and its menu entries.
 * `routes` puts the pages under a pathless route of their own that answers "not found" while the
 * module is switched off.
 */
export type Feature = {
  module: string;
  nav: readonly NavItem[];
  routes: (app: AppRoute) => AnyRoute;
  /**
   * Rendered by the signed-in shell on every page while the module is on (global keyboard shortcuts);
   * make it lazy, so the login page does not load it.
   */
  Shell?: ComponentType;
  /** How the web words the `reason`s of the module's problems, in the person's language. */
  problems?: Readonly<Record<string, ProblemWords>>;
};

/** Every feature, in menu order; a new module adds its `features/<module>/routes.tsx` here. */
export const FEATURES = [
  timeFeature,
  planningFeature,
  directoryFeature,
  fleetFeature,
  autoscalerFeature,
  identityFeature,
] as const;

// Each feature words its own module's refusals; app/problems.ts looks them up by reason.
for (const feature of FEATURES as readonly Feature[]) if (feature.problems) wordProblems(feature.problems);
