import { ShapeConflict, type ShapeRule } from '../types';

/**
 * ONNX RNN / GRU / LSTM (opset 14 layouts): with layout 0, X is [seq, batch, input], Y is
 * [seq, dirs, batch, hidden] and Y_h / Y_c are [dirs, batch, hidden]; layout 1 puts batch first.
 */
const recurrent: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  if (x.length !== 3) throw new ShapeConflict(`${ctx.node.opType} expects a 3-D input, got rank ${x.length}`);
  const batchFirst = ctx.int('layout', 0) === 1;
  const [seq, batch] = (batchFirst ? [x[1], x[0]] : [x[0], x[1]]) as [number, number];
  const dirs = ctx.string('direction', 'forward') === 'bidirectional' ? 2 : 1;
  const hidden = ctx.has('hidden_size') ? ctx.int('hidden_size') : (ctx.shapeOf(2)[2] as number);
  const dtype = ctx.input(0)?.dtype ?? 0;
  const y = batchFirst ? [batch, seq, dirs, hidden] : [seq, dirs, batch, hidden];
  const state = batchFirst ? [batch, dirs, hidden] : [dirs, batch, hidden];
  const outputs = [{ dtype, shape: y }, { dtype, shape: state }];
  return ctx.node.opType === 'LSTM' ? [...outputs, { dtype, shape: state }] : outputs;
};

export const recurrentRules: Record<string, ShapeRule> = {
  RNN: recurrent,
  GRU: recurrent,
  LSTM: recurrent,
};
