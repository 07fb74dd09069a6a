/**
 * Shows the ten class probabilities as labelled bars, the most likely one marked, and
 * the predicted class beside them; `undefined` clears them (nothing drawn yet).
 *
 * @example
 * ```ts
 * showProbabilities(list, prediction, probabilities, ['0', '1', …]);
 * ```
 */
export const showProbabilities = (
  list: HTMLOListElement,
  prediction: HTMLOutputElement,
  probabilities: Float32Array | undefined,
  classNames: readonly string[],
): void => {
  const top = probabilities === undefined ? -1 : probabilities.indexOf(Math.max(...probabilities));
  prediction.textContent = top < 0 ? '–' : classNames[top];
  prediction.dataset['class'] = top < 0 ? '' : String(top);
  if (list.children.length !== classNames.length) {
    list.replaceChildren(
      ...classNames.map((name, k) => {
        const item = document.createElement('li');
        item.dataset['testid'] = `probability-${k}`;
        const label = document.createElement('span');
        label.textContent = name;
        const track = document.createElement('span');
        track.className = 'track';
        const bar = document.createElement('span');
        bar.className = 'bar';
        track.append(bar);
        const value = document.createElement('span');
        value.className = 'value';
        item.append(label, track, value);
        return item;
      }),
    );
  }
  [...list.children].forEach((item, k) => {
    const p = probabilities?.[k] ?? 0;
    const element = item as HTMLLIElement;
    element.dataset['value'] = String(p);
    element.classList.toggle('top', k === top);
    (element.children[1].firstElementChild as HTMLElement).style.width = `${(100 * p).toFixed(1)}%`;
    element.children[2].textContent = probabilities === undefined ? '' : `${(100 * p).toFixed(1)}%`;
  });
};

/** Paints the 28×28 input the model sees (values in [0, 1], light ink on black) on a 28×28 canvas. */
export const showModelInput = (canvas: HTMLCanvasElement, pixels: Float32Array | undefined): void => {
  const context = canvas.getContext('2d');
  if (context === null) return;
  const image = context.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = Math.round(255 * (pixels?.[i] ?? 0));
    image.data.set([v, v, v, 255], 4 * i);
  }
  context.putImageData(image, 0, 0);
};
