import type { BlankImage } from '@axon/digit-image';

/** Why an image cannot be used as a model input: one line for the user (the caller adds the file name). */
export type ImageError =
  { readonly kind: 'not-png' | 'damaged-png' | 'too-large'; readonly message: string } | BlankImage;
