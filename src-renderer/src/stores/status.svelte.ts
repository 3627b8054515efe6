// The last thing the user did, said once in the status bar (and to screen readers).
export class StatusMessage {
  text = $state('');
  #timer: ReturnType<typeof setTimeout> | undefined;

  say(text: string): void {
    this.text = text;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.text = '';
    }, 6000);
  }
}

export const status = new StatusMessage();
