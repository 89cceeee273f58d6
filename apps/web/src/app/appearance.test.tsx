import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../test/render';
import { AppearanceSwitch } from './appearance';

describe('appearance', () => {
  it('switches to dark and back to the system setting', () => {
    renderWithProviders(<AppearanceSwitch />);
    fireEvent.click(screen.getByLabelText('Dark'));
    expect(document.documentElement.getAttribute('data-mantine-color-scheme')).toBe('dark');
    expect(localStorage.getItem('mantine-color-scheme-value')).toBe('dark');
    fireEvent.click(screen.getByLabelText('As the system'));
    expect(localStorage.getItem('mantine-color-scheme-value')).toBe('auto');
  });
});
