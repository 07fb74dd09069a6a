import type { IdxDatasetSpec } from './idx-dataset-spec.js';
import { mnistLayout } from './idx-directory.js';

/**
 * MNIST: 60,000 training and 10,000 test images of handwritten digits, 28×28 u8, labels
 * 0–9. Mirrors are those torchvision and TensorFlow Datasets use. Each file is verified
 * by the SHA-256 of its decompressed content (`contentSha256`), so any faithful copy
 * loads, however it was compressed; `sha256`, the mirrors' `.gz` files as TensorFlow
 * Datasets lists them, is the fast path for an untouched download.
 *
 * @example
 * ```ts
 * const splits = await loadDataset(mnist, { dir: '../shared/data/mnist' })();
 * ```
 */
export const mnist: IdxDatasetSpec<'u8'> = {
  name: 'mnist',
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  inputTypes: ['u8'],
  sampleShape: [28, 28],
  mirrors: [
    'https://ossci-datasets.s3.amazonaws.com/mnist/',
    'https://storage.googleapis.com/cvdf-datasets/mnist/',
    'http://yann.lecun.com/exdb/mnist/',
  ],
  files: mnistLayout({
    trainInputs: {
      sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
      contentSha256: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
    },
    trainLabels: {
      sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
      contentSha256: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
    },
    testInputs: {
      sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
      contentSha256: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
    },
    testLabels: {
      sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
      contentSha256: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
    },
  }),
};

/**
 * Fashion-MNIST: Zalando's drop-in replacement for MNIST, the same files and format,
 * ten classes of clothing. Verified as {@link mnist} is. The `sha256` values are the
 * mirror's `.gz` files as TensorFlow Datasets lists them. The `contentSha256` values were
 * computed from Debian's `dataset-fashion-mnist` package, whose four files are the
 * originals with the gzip header's file name dropped and its time stamp changed:
 * restoring both (the names, and 2017-08-31 10:50:06 UTC for the training files,
 * 10:50:27 for the test files) gives back files with exactly the `sha256` values here
 * (and Zalando's published MD5s), so their content is the original's.
 *
 * @example
 * ```ts
 * const { train } = await loadDataset(fashionMnist)(); // downloads on first use
 * ```
 */
export const fashionMnist: IdxDatasetSpec<'u8'> = {
  name: 'fashion-mnist',
  classNames: [
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
  ],
  inputTypes: ['u8'],
  sampleShape: [28, 28],
  mirrors: ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'],
  files: mnistLayout({
    trainInputs: {
      sha256: '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84',
      contentSha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
    },
    trainLabels: {
      sha256: 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845',
      contentSha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
    },
    testInputs: {
      sha256: '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073',
      contentSha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
    },
    testLabels: {
      sha256: '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5',
      contentSha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
    },
  }),
};
