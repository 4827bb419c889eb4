export { AgentSelection } from './agent-selection.js';
export type { Ec2AgentSelectionProps } from './agent-selection.js';
export { Ec2InstanceAttribute } from './instance-attribute.js';
export type { Ec2InstanceAttributeProps, Ec2Filter } from './instance-attribute.js';
