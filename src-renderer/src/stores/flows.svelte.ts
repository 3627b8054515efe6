// The flow library (built-in and user flows) and the flow shown with its inputs form.
import type { FlowDetail, FlowLibrary } from '@shared/models/flows';

import { backend } from '../platform/backend';
import { errorMessage } from './errors';

export class FlowsStore {
  library = $state.raw<FlowLibrary | null>(null);
  loading = $state(false);
  error = $state('');
  filter = $state('');
  detail = $state.raw<FlowDetail | null>(null);
  detailError = $state('');
  #detailSeq = 0;

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.library = await backend.call('flows.list', {});
      this.error = '';
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.loading = false;
    }
  }

  async open(file: string): Promise<void> {
    const seq = ++this.#detailSeq;
    if (this.detail?.file !== file) this.detail = null;
    this.detailError = '';
    try {
      const detail = await backend.call('flows.get', { file });
      if (seq === this.#detailSeq) this.detail = detail;
    } catch (err) {
      if (seq === this.#detailSeq) this.detailError = errorMessage(err);
    }
  }
}

export const flows = new FlowsStore();
