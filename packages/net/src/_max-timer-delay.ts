/** The longest delay `setTimeout()` honours; a longer one (or Infinity) fires after 1 ms. */
export const MAX_TIMER_DELAY: number = 2 ** 31 - 1;
