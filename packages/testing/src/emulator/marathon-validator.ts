import { validateAppDefinition } from '@dcos-cdk/marathon';
import type { AppValidator } from './types.js';

/**
 * The emulator's default validator: the library's own implementation of Marathon's rules, so
 * the emulator rejects exactly what synth rejects. Apps inside a group request resolve their
 * ids against the group (and must be its direct children); top-level app requests validate the
 * id as sent. For partial updates the emulator hands over the update merged onto the stored
 * app, which is what Marathon validates.
 */
export const marathonValidator: AppValidator = (app, version, options) =>
  validateAppDefinition(app, version, {
    ...(options.operation === 'group' ? { parentGroup: options.baseGroup } : {}),
    defaultNetworkName: options.defaultNetworkName,
  });
