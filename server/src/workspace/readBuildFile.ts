/** Reads any build file into its builds, by its kind. A file that does not parse has none. */
import { BuildEntry, buildFileKind } from './buildFiles';
import { readBake } from './bake';
import { readCompose } from './compose';
import { readDevcontainer } from './devcontainer';
import { readWorkflow } from './workflow';

export async function readBuildFile(file: string, text: string): Promise<BuildEntry[]> {
  switch (buildFileKind(file)) {
    case 'compose': return readCompose(file, text);
    case 'bake': return readBake(file, text);
    case 'devcontainer': return readDevcontainer(file, text);
    case 'workflow': return readWorkflow(file, text);
    default: return [];
  }
}
