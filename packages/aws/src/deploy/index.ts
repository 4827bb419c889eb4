/**
 * Deploy driver for `ec2-instance-attribute` artifacts: sets
 * `sourceDestCheck` on the selected EC2 instances through the AWS SDK.
 */
export { Ec2InstanceAttributeDriver, changedTagKey, ec2RegionsOf, EC2_INSTANCE_ATTRIBUTE_KIND } from './ec2-driver.js';
export type { Ec2InstanceAttributeDriverOptions, Ec2InstanceAttributeSpec, Ec2PlannedChange, InstanceEdit } from './ec2-driver.js';
export { Ec2PermissionError, Ec2CallError } from './ec2-calls.js';
export type { Ec2RetryPolicy } from './ec2-calls.js';
