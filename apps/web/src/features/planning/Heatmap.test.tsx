import type { TUtilisation } from '@clockpilot/contracts/planning';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLanguage } from '../../app/i18n';
import { setPreferences } from '../../app/preferences';
import { renderWithProviders } from '../../test/render';
import { HeatLegend, Heatmap } from './Heatmap';
import { DEFAULT_THRESHOLDS } from './heat';

const DATA: TUtilisation = {
  from: '2026-W05',
  to: '2026-W07',
  groupBy: 'person',
  weeks: ['2026-W05', '2026-W06', '2026-W07'],
  rows: [
    {
      kind: 'person',
      key: '00000000-0000-4000-8000-00000000c001',
      label: 'Ada',
      assigned: [20, 36, 44],
      tentative: [0, 6, 0],
      capacity: [40, 40, 40],
      utilisation: [0.5, 0.9, 1.1],
    },
    {
      kind: 'placeholder',
      key: 'Senior designer',
      label: 'Senior designer',
      assigned: [10, 0, 0],
      tentative: [0, 0, 0],
      capacity: null,
      utilisation: null,
    },
  ],
  totals: {
    assigned: [30, 36, 44],
    tentative: [0, 6, 0],
    capacity: [40, 40, 40],
    utilisation: [0.75, 0.9, 1.1],
  },
};

describe('utilisation heatmap', () => {
  it('colours each week under, full or over, keeps tentative hours apart, and opens a person’s week', async () => {
    const onOpen = vi.fn();
    renderWithProviders(<Heatmap data={DATA} thresholds={DEFAULT_THRESHOLDS} onOpen={onOpen} />);
    const [ada, role] = screen.getAllByTestId('heat-row') as [HTMLElement, HTMLElement];
    const levels = (row: HTMLElement) =>
      within(row)
        .getAllByRole('button')
        .map((b) => b.dataset.level);
    expect(levels(ada)).toEqual(['under', 'full', 'over']);
    expect(levels(role)).toEqual(['none', 'none', 'none']);
    const w06 = within(ada).getByRole('button', { name: /in 2026-W06$/ });
    expect(w06).toHaveTextContent('90%');
    expect(w06).toHaveAccessibleName('Ada: 36 h confirmed of 40 h capacity + 6 h tentative in 2026-W06');
    // A placeholder has no capacity: its hours show as hours, and there is no person to open.
    expect(within(role).getAllByRole('button')[0]).toHaveTextContent('10 h');
    expect(within(role).getAllByRole('button')[0]).toBeDisabled();

    await userEvent.click(within(ada).getByRole('button', { name: /in 2026-W07$/ }));
    expect(onOpen).toHaveBeenCalledWith(DATA.rows[0], '2026-W07');
  });

  it('recolours with other thresholds and says them in the legend', () => {
    const t = { full: 0.4, over: 0.8 };
    renderWithProviders(
      <>
        <HeatLegend thresholds={t} />
        <Heatmap data={DATA} thresholds={t} />
      </>,
    );
    const ada = screen.getAllByTestId('heat-row')[0]!;
    expect(
      within(ada)
        .getAllByRole('button')
        .map((b) => b.dataset.level),
    ).toEqual(['full', 'over', 'over']);
    expect(screen.getByText('Full 40–80%')).toBeInTheDocument();
    expect(screen.getByText('Over 80%')).toBeInTheDocument();
  });

  describe('in German', () => {
    afterEach(async () => {
      setPreferences({ language: 'auto' });
      await setLanguage('en');
    });

    it('says the shares, hours and legend in German words and number formats', async () => {
      setPreferences({ language: 'de' });
      await setLanguage('de');
      renderWithProviders(
        <>
          <HeatLegend thresholds={DEFAULT_THRESHOLDS} />
          <Heatmap
            data={{ ...DATA, rows: [{ ...DATA.rows[0]!, assigned: [20, 36.5, 44] }] }}
            thresholds={DEFAULT_THRESHOLDS}
          />
        </>,
      );
      const w06 = screen.getByRole('button', { name: /in 2026-W06$/ });
      expect(w06).toHaveTextContent('90 %');
      expect(w06).toHaveAccessibleName(
        'Ada: 36,5 Std. bestätigt von 40 Std. Kapazität + 6 Std. vorläufig in 2026-W06',
      );
      expect(screen.getByText('Voll 85–100 %')).toBeInTheDocument();
      expect(screen.getByRole('columnheader', { name: 'KW 06' })).toBeInTheDocument();
    });
  });
});
