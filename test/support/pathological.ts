/**
 * Families of pathological Dockerfiles, each generated at any size n: the inputs where a cost
 * that grows faster than the text would show. The scaling test runs every editor feature on each
 * at two sizes; the fuzzer opens them through the server.
 */
const lines = (n: number, line: (i: number) => string): string => Array.from({ length: n }, (_, i) => line(i)).join('');

export const FAMILIES: Record<string, (n: number) => string> = {
  'one FROM continued over n lines': (n) => 'FROM a \\\n'.repeat(n) + 'AS b\n',
  'one RUN continued over n lines': (n) => 'FROM alpine\nRUN echo \\\n' + '  word \\\n'.repeat(n) + '  done\n',
  'one COPY continued over n lines': (n) => 'FROM alpine AS b\nFROM alpine\nCOPY --from=b \\\n' + '  /src \\\n'.repeat(n) + '  /dst\n',
  'a --mount list continued over n lines': (n) => 'FROM alpine AS b\nFROM alpine\nRUN --mount=type=bind,\\\n' + 'from=b,\\\n'.repeat(n) + 'target=/x true\n',
  'one RUN with n --mount flags': (n) => 'FROM alpine AS b\nFROM alpine\nRUN ' + '--mount=type=bind,from=b,target=/x '.repeat(n) + 'true\n',
  'n heredocs': (n) => 'FROM alpine\n' + 'RUN <<EOF\necho FROM x\nEOF\n'.repeat(n),
  'one very long line': (n) => 'FROM alpine AS b\nFROM alpine\nRUN echo ' + 'word $X '.repeat(n * 10) + '\nCOPY --from=b / /\n',
  'n stages': (n) => lines(n, (i) => `FROM alpine:3.20 AS s${i}\nRUN make\nCOPY --from=${i === 0 ? 'alpine' : `s${i - 1}`} /a /b\n`),
  'n references to one stage': (n) => 'FROM alpine AS base\nFROM alpine\n' + 'COPY --from=base /a /b\nRUN --mount=from=base,target=/x true\n'.repeat(n),
  'a FROM chain of n stages': (n) => 'FROM alpine AS s0\n' + lines(n, (i) => `FROM s${i} AS s${i + 1}\n`),
  'a --from cycle through n stages': (n) => lines(n, (i) => `FROM alpine AS s${i}\nCOPY --from=s${(i + 1) % n} /a /b\n`),
  'n duplicate stage names': (n) => 'FROM alpine AS Dup\n'.repeat(n) + 'FROM alpine\nCOPY --from=dup / /\n',
  'n ARGs and variable uses': (n) =>
    lines(n, (i) => `ARG A${i}=v${i}\n`) + 'FROM alpine AS b\n' + lines(n, (i) => `ENV E${i}=$A${i}\nLABEL l${i}=\${A${i}:-x}\n`) + `FROM b-\${A0}\n`,
  'a long # escape=` file': (n) => '# escape=`\nFROM alpine AS b\n' + lines(n, (i) => `FROM b AS c${i}\nRUN --mount=type=bind,\`\nfrom=b,target=C:\\x${i} dir\n`),
  'an unterminated heredoc above n stages': (n) => 'FROM alpine\nRUN <<EOF\n' + lines(n, (i) => `FROM alpine AS s${i}\nCOPY --from=s0 /a /b\n`),
  'n lines `FROM\\` in a file whose escape is a backtick': (n) => '# escape=`\nFROM alpine AS b\n' + 'FROM\\\nRUN true\n'.repeat(n),
  'n lines `FROM\\` that the next line joins into another word': (n) => 'FROM alpine AS b\n' + 'FROM\\\nRUN true\n'.repeat(n),
  'n unnamed stages referred to by index': (n) => lines(n, (i) => `FROM alpine\nCOPY --from=${Math.max(0, i - 1)} /a /b\n`),
  // The advisor's rules: a toolchain last stage full of copies and builds, long command chains, many full copies.
  'a toolchain last stage with n whole-stage copies and builds': (n) =>
    'FROM golang:1.22 AS b\nRUN go build -o /out/app .\nFROM golang:1.22\n' + 'COPY --from=b / /\nRUN go build -o /out/app . && npm ci\nEXPOSE 80\n'.repeat(n) + 'CMD ["/out/app"]\n',
  'one RUN of n chained installs with assignments after COPY . .': (n) => 'FROM node:20\nCOPY . .\nRUN ' + 'A=1 B=2 npm ci && '.repeat(n * 5) + 'true\nCMD ["node", "dist/a.js"]\n',
  'n stages that copy everything before installing': (n) => lines(n, (i) => `FROM node:20 AS s${i}\nCOPY . .\nRUN npm ci && npm run build\n`) + 'CMD ["node", "dist/a.js"]\n',
};
