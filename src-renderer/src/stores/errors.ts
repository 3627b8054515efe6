// Turning errors from the backend into words for the user.
import { AppError } from '@shared/errors';

export function errorMessage(err: unknown): string {
  if (err instanceof AppError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
