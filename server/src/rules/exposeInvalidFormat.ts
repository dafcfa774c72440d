import { Rule } from './rule';
import { exposePorts } from './exposePorts';

/**
 * BuildKit lint ExposeInvalidFormat (dockerfile2llb/convert_expose.go parsePort): EXPOSE with an IP
 * address or a host port (`127.0.0.1:80:80`, `80:80`), which EXPOSE does not publish (only the
 * container port goes into the image); a future release will fail on it.
 * Message: "EXPOSE instruction should not define an IP address or host-port mapping, found
 * '80:80'", on the port.
 */
export const exposeInvalidFormat: Rule = {
  code: 'ExposeInvalidFormat',
  buildkitCheck: true,
  severity: 'warning',
  description: 'IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release.',
  check(model, report) {
    for (const p of exposePorts(model)) {
      if (p.ip === '' && p.hostPort === '') continue;
      report({
        message: `EXPOSE instruction should not define an IP address or host-port mapping, found '${p.value}': only the container port is exposed; publish ports with docker run -p or Compose's ports.`,
        range: p.word.range,
      });
    }
  },
};
