/** Options of {@link digitPad}. */
export interface DigitPadOptions {
  /** Stroke width as a fraction of the pad's side (MNIST strokes are about a tenth of the digit box). */
  readonly strokeWidth?: number;
  /** Called whenever the drawing changes (throttled to animation frames). */
  readonly onChange: (canvas: HTMLCanvasElement) => void;
}

/** A drawing pad on a canvas. */
export interface DigitPad {
  clear(): void;
  /** Whether anything has been drawn since the last clear. */
  isEmpty(): boolean;
}

/**
 * Turns a canvas into a pad to draw a digit on with a mouse, a finger or a pen (pointer
 * events, so all three alike): dark round strokes on white. The canvas keeps its own
 * resolution; pointer positions are scaled from its on-screen size.
 *
 * @example
 * ```ts
 * const pad = digitPad(canvas, { onChange: (c) => predictFrom(c) });
 * clearButton.onclick = () => pad.clear();
 * ```
 */
export const digitPad = (canvas: HTMLCanvasElement, options: DigitPadOptions): DigitPad => {
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) throw new Error('this browser gives no 2D canvas');
  let drawn = false;
  let last: { x: number; y: number } | undefined;
  let frame: number | undefined;

  const paintBackground = () => {
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
  };
  const changed = () => {
    if (frame !== undefined) return;
    frame = requestAnimationFrame(() => {
      frame = undefined;
      options.onChange(canvas);
    });
  };
  const pointOf = (event: PointerEvent) => {
    const box = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) / box.width) * canvas.width,
      y: ((event.clientY - box.top) / box.height) * canvas.height,
    };
  };
  const strokeTo = (point: { x: number; y: number }) => {
    context.strokeStyle = '#000';
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.lineWidth = (options.strokeWidth ?? 0.075) * canvas.width;
    context.beginPath();
    context.moveTo((last ?? point).x, (last ?? point).y);
    context.lineTo(point.x, point.y);
    context.stroke();
    last = point;
    drawn = true;
    changed();
  };

  canvas.style.touchAction = 'none';
  canvas.addEventListener('pointerdown', (event) => {
    canvas.setPointerCapture(event.pointerId);
    last = undefined;
    strokeTo(pointOf(event));
  });
  canvas.addEventListener('pointermove', (event) => {
    if (canvas.hasPointerCapture(event.pointerId)) strokeTo(pointOf(event));
  });
  const end = (event: PointerEvent) => {
    if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
    last = undefined;
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  paintBackground();

  return {
    clear: () => {
      paintBackground();
      drawn = false;
      changed();
    },
    isEmpty: () => !drawn,
  };
};
