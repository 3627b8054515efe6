// How a state reads everywhere (runs, flows, services, checks): a word, an icon and a tone, so
// colour is never the only signal. The tone names the `.tone-*` colour classes of app.css.
import type { IconName } from './icons';

export type Tone = 'muted' | 'accent' | 'ok' | 'danger' | 'warning';

export interface Look {
  readonly label: string;
  readonly icon: IconName;
  readonly tone: Tone;
}
