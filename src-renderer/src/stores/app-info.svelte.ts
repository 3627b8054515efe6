// Facts about the running app ('app.info'): face, version, secret store, store notice.
import type { AppInfo } from '@shared/models/app';

import { backend } from '../platform/backend';
import { errorMessage } from './errors';

export class AppInfoStore {
  info = $state.raw<AppInfo | null>(null);
  error = $state('');
  /** The user closed the "database moved aside" banner. */
  noticeDismissed = $state(false);

  async load(): Promise<void> {
    try {
      this.info = await backend.call('app.info', {});
      this.error = '';
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  dismissNotice(): void {
    this.noticeDismissed = true;
  }
}

export const appInfo = new AppInfoStore();
