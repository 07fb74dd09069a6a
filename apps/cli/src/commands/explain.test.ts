import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { attributionArt } from '../output/attribution-art.js';
import { classChoice } from './explain.js';

const fashion = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

describe('classChoice', () => {
  it('takes a class by name or by index, names first', () => {
    expect(classChoice('Sneaker', fashion)).toEqual(E.right(7));
    expect(classChoice('3', fashion)).toEqual(E.right(3));
    expect(classChoice('7', ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])).toEqual(E.right(7));
    // A name that is a number of another class wins over the index.
    expect(classChoice('1', ['1', '0'])).toEqual(E.right(0));
  });

  it('names the classes there are when the choice is none of them', () => {
    expect(classChoice('Boot', fashion)).toEqual(
      E.left(`--class Boot: the model's classes are ${fashion.map((name, i) => `${i} (${name})`).join(', ')}`),
    );
    expect(classChoice('10', ['0', '1'])).toEqual(E.left("--class 10: the model's classes are 0, 1"));
    expect(classChoice('-1', ['0', '1'])).toEqual(E.left("--class -1: the model's classes are 0, 1"));
  });
});

describe('attributionArt', () => {
  const image = { width: 4, height: 3, pixels: [1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1] };
  const attributions = [1, 0.5, 0, -1, 0, 0, 0, -0.5, 0, 0, 0, 0];

  it('in colour: two pixel rows per line of half blocks, each line reset', () => {
    const lines = attributionArt(image, attributions, 'color');
    expect(lines).toHaveLength(2);
    lines.forEach((line) => {
      expect(line.endsWith('\x1b[0m')).toBe(true);
      expect(line.match(/▀/g)).toHaveLength(4);
    });
  });

  it('without colour: the sign and strength of each attribution, the ink elsewhere', () => {
    expect(attributionArt(image, attributions, 'ascii')).toEqual(['##++  ==', '..    --', '      ..']);
    expect(attributionArt(image, attributions, 'shades')).toEqual(attributionArt(image, attributions, 'ascii'));
  });
});
