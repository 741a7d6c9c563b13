"""Pure consultation rules (no Django): the state machine, topics, the notice."""
