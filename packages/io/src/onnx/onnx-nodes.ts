import type { ActivationName } from '@axon/nn';
import type { Shape } from '@axon/tensor';

/** An attribute of an ONNX node: a float (`f`), an integer (`i`) or a list of integers (`ints`). */
export type OnnxAttribute = { readonly f: number } | { readonly i: number } | { readonly ints: readonly number[] };

/**
 * What a layer kind uses to add its part of an ONNX graph: nodes, and constants stored
 * as the graph's initializers. Each call returns the name of the value it makes.
 */
export interface OnnxNodes {
  /** Adds a node of an operator of the default ONNX domain and returns the name of its output. */
  node(opType: string, inputs: readonly string[], attributes?: Readonly<Record<string, OnnxAttribute>>): string;
  /** Adds a float32 constant and returns its name; `hint` becomes part of the name (`dense/kernel`). */
  floats(hint: string, shape: Shape, values: ArrayLike<number>): string;
  /** Adds an int64 constant of one axis (a shape for Reshape) and returns its name. */
  int64s(hint: string, values: readonly number[]): string;
}

/**
 * Applies an activation with ONNX operators (opset 13) and returns the output's name.
 * GELU, which ONNX has only from opset 20, is built from its exact erf form.
 *
 * @example
 * activationNodes('relu', 'dense/MatMul', nodes); // the output of a Relu node
 */
export function activationNodes(activation: ActivationName, input: string, nodes: OnnxNodes): string {
  switch (activation) {
    case 'linear':
      return input;
    case 'relu':
      return nodes.node('Relu', [input]);
    case 'sigmoid':
      return nodes.node('Sigmoid', [input]);
    case 'tanh':
      return nodes.node('Tanh', [input]);
    case 'softmax':
      return nodes.node('Softmax', [input], { axis: { i: -1 } });
    case 'elu':
      return nodes.node('Elu', [input], { alpha: { f: 1 } });
    case 'softplus':
      return nodes.node('Softplus', [input]);
    case 'leakyRelu':
      return nodes.node('LeakyRelu', [input], { alpha: { f: 0.2 } });
    case 'gelu': {
      // gelu(x) = x · (1 + erf(x / √2)) / 2
      const scaled = nodes.node('Div', [input, nodes.floats('sqrt2', [], [Math.SQRT2])]);
      const shifted = nodes.node('Add', [nodes.node('Erf', [scaled]), nodes.floats('one', [], [1])]);
      return nodes.node('Mul', [nodes.node('Mul', [input, shifted]), nodes.floats('half', [], [0.5])]);
    }
  }
}
