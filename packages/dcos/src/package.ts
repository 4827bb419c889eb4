import { Construct } from 'constructs';
import { addSynthesisParticipant } from '@dcos-cdk/core';

/** Options of a {@link DcosPackage}. */
export interface DcosPackageProps {
  /** Universe package name, e.g. `etcd`. */
  readonly packageName: string;
  /** Package version, e.g. `0.0.3`. @default the newest the repository offers at deploy time */
  readonly packageVersion?: string;
  /** Install options (the package's config.json schema). @default {} */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Packages that must be installed first. @default [] */
  readonly dependsOn?: readonly DcosPackage[];
}

/**
 * A Universe package installed through Cosmos. Emits a `dcos-package`
 * artifact holding the Cosmos install request body.
 */
export class DcosPackage extends Construct {
  /** Universe package name. */
  public readonly packageName: string;
  /** Requested version, if pinned. */
  public readonly packageVersion?: string;
  /** Bundle id of the package's artifact. */
  public readonly artifactId: string;

  constructor(scope: Construct, id: string, props: DcosPackageProps) {
    super(scope, id);
    this.packageName = props.packageName;
    this.packageVersion = props.packageVersion;
    this.artifactId = `dcos-package:${props.packageName}`;
    addSynthesisParticipant(this, {
      validate: (d) => {
        if (!/^[a-z0-9][a-z0-9-]*$/.test(props.packageName)) {
          d.error(this, 'dcos/package-name', `'${props.packageName}' is not a Universe package name.`, 'Use the lower-case name shown by `dcos package search`.');
        }
      },
      emit: (ctx) =>
        ctx.addArtifact(this, {
          id: this.artifactId,
          kind: 'dcos-package',
          file: `dcos/packages/${props.packageName}.json`,
          content:
            JSON.stringify(
              { packageName: props.packageName, packageVersion: props.packageVersion, options: props.options ?? {} },
              null,
              2,
            ) + '\n',
          dependsOn: (props.dependsOn ?? []).map((p) => p.artifactId),
        }),
    });
  }
}
