/** Why an image cannot be used as a model input: one line for the user (the caller adds the file name). */
export interface ImageError {
  readonly kind: 'not-png' | 'damaged-png' | 'too-large' | 'blank';
  readonly message: string;
}
