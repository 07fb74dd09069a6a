import { imageAugmentation, scaleToUnit, takeRows, type DatasetSplits } from '@axon/data';
import { key } from '@axon/tensor';
import { grayToRgba, imageGridSvg, type Panel } from './render.js';

/**
 * Chapter 9's figure: the first four training digits, each as it is and as seven draws
 * of the augmentation `guide/little-data.ts` trains with (shifts up to 10%, turns up to
 * 3% of a full turn, zooms up to 10%).
 */
export const augmentationSvg = ({ train }: DatasetSplits<Uint8Array>): string => {
  const augment = imageAugmentation({
    translation: { heightFactor: 0.1, widthFactor: 0.1 },
    rotation: { factor: 0.03 },
    zoom: { heightFactor: 0.1 },
  });
  const rows = Array.from({ length: 4 }, (_, digit): Panel[] => {
    const image = scaleToUnit(takeRows(train.inputs, [digit]));
    const draws = Array.from({ length: 7 }, (_, draw) => augment(key(draw + 1), image));
    return [
      { image: grayToRgba(28, 28, image.values), caption: 'as it is' },
      ...draws.map((drawn, draw) => ({ image: grayToRgba(28, 28, drawn.values), caption: `key ${draw + 1}` })),
    ];
  });
  return imageGridSvg(rows, {
    scale: 3,
    title: 'Four training digits and seven random draws of the augmentation each',
  });
};
