/**
 * libonnx-testdata node cases that shape inference does not pass, each with why. The node-case
 * test asserts that every case listed here still fails, so an entry goes as soon as it passes.
 */
const SEQUENCE_OUTPUT = 'graph output is a sequence: EdgeCut infers tensor shapes only';
const OPTIONAL_OUTPUT = 'graph output is an optional: EdgeCut infers tensor shapes only';

export const UNSUPPORTED_NODE_CASES: Record<string, string> = {
  test_identity_opt: OPTIONAL_OUTPUT,
  test_identity_sequence: SEQUENCE_OUTPUT,
  test_if_opt: OPTIONAL_OUTPUT,
  test_if_seq: SEQUENCE_OUTPUT,
  test_loop13_seq: SEQUENCE_OUTPUT,
  test_loop16_seq_none: SEQUENCE_OUTPUT,
  test_optional_get_element:
    "optional graph input: the decoded ValueInfo does not tell optional<tensor> from optional<sequence>, so it is bound no shape",
  test_optional_get_element_sequence: SEQUENCE_OUTPUT,
  test_sequence_insert_at_back: SEQUENCE_OUTPUT,
  test_sequence_insert_at_front: SEQUENCE_OUTPUT,
  test_sequence_map_add_1_sequence_1_tensor: SEQUENCE_OUTPUT,
  test_sequence_map_add_1_sequence_1_tensor_expanded: SEQUENCE_OUTPUT,
  test_sequence_map_add_2_sequences: SEQUENCE_OUTPUT,
  test_sequence_map_add_2_sequences_expanded: SEQUENCE_OUTPUT,
  test_sequence_map_extract_shapes: SEQUENCE_OUTPUT,
  test_sequence_map_extract_shapes_expanded: SEQUENCE_OUTPUT,
  test_sequence_map_identity_1_sequence: SEQUENCE_OUTPUT,
  test_sequence_map_identity_1_sequence_1_tensor: SEQUENCE_OUTPUT,
  test_sequence_map_identity_1_sequence_1_tensor_expanded: SEQUENCE_OUTPUT,
  test_sequence_map_identity_1_sequence_expanded: SEQUENCE_OUTPUT,
  test_sequence_map_identity_2_sequences: SEQUENCE_OUTPUT,
  test_sequence_map_identity_2_sequences_expanded: SEQUENCE_OUTPUT,
};
