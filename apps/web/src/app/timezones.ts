/** Every IANA zone the browser knows, for time-zone pickers; UTC first. */
export const TIME_ZONES: string[] = (() => {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  return ['UTC', ...zones.filter((z) => z !== 'UTC')];
})();
