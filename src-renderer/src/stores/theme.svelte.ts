// Light or dark: follows the system (prefers-color-scheme) until the user picks one; the pick
// is kept in localStorage and shared by every tab of the console.
export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'stx-lab.theme';

function isChoice(value: unknown): value is ThemeChoice {
  return value === 'system' || value === 'light' || value === 'dark';
}

function readChoice(): ThemeChoice {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isChoice(stored) ? stored : 'system';
  } catch {
    return 'system';
  }
}

export class ThemeStore {
  choice = $state<ThemeChoice>(readChoice());
  systemDark = $state(false);
  readonly effective: Theme = $derived(
    this.choice === 'system' ? (this.systemDark ? 'dark' : 'light') : this.choice,
  );

  constructor() {
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    this.systemDark = query.matches;
    query.addEventListener('change', (e) => {
      this.systemDark = e.matches;
    });
    window.addEventListener('storage', (e) => {
      if (e.key === STORAGE_KEY) {
        this.choice = isChoice(e.newValue) ? e.newValue : 'system';
        this.#apply();
      }
    });
    this.#apply();
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    try {
      if (choice === 'system') localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, choice);
    } catch {
      // Storage may be unavailable (private mode): the choice lasts for this page only.
    }
    this.#apply();
  }

  /** The stylesheet follows the system by itself; an explicit choice pins the color scheme. */
  #apply(): void {
    const root = document.documentElement;
    if (this.choice === 'system') delete root.dataset.theme;
    else root.dataset.theme = this.choice;
  }
}

export const theme = new ThemeStore();
