// Runtime schemas of the client → server frames; the server parses every frame with them.
import { z } from 'zod';

import type { ClientFrame } from './protocol';

export const REQUEST_ID = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);

export const RequestFrame = z.object({
  type: z.literal('request'),
  id: REQUEST_ID,
  name: z.string().min(1).max(128),
  input: z.unknown(),
});
export const CancelFrame = z.object({ type: z.literal('cancel'), id: REQUEST_ID });
export const ClientFrameSchema: z.ZodType<ClientFrame> = z.discriminatedUnion('type', [
  RequestFrame,
  CancelFrame,
]);
