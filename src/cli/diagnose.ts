/**
 * `acr-access diagnose [FILE|-] [--json]`: parse the text, read Azure, explain each finding (what the card says).
 * `--json` prints `{"diagnoses":[{finding, registry|null, cause, summary, evidence, fixes}]}`.
 * Exit codes: 0 done (also when nothing was found), 2 usage, 3 Azure refused or unreachable, 1 anything else.
 */
import { AzureError } from '../app/azure-error.js';
import { diagnoseFindings } from '../app/diagnose.js';
import { parseFindings } from '../core/parse/index.js';
import { EXIT, readInput, UsageError, type CliIO } from './io.js';
import { azureFailure, openGateway } from './gateway.js';
import { diagnosisJson } from './parse.js';
import { renderText } from './render-text.js';

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = false;
  const files: string[] = [];
  for (const a of args) {
    if (a === '--json') json = true;
    else if (a === '-' || !a.startsWith('-')) files.push(a);
    else throw new UsageError(`unknown option ${a}\nusage: acr-access diagnose [FILE|-] [--json]`);
  }
  if (files.length > 1)
    throw new UsageError(
      'give at most one FILE (or - for standard input)\nusage: acr-access diagnose [FILE|-] [--json]',
    );

  const text = await readInput(files[0], io);
  const findings = parseFindings(text);
  // Nothing recognised needs no Azure (and no credentials): answer straight away.
  const gateway = findings.length > 0 ? await openGateway(io) : null;
  try {
    const diagnoses = gateway ? await diagnoseFindings(findings, { gateway }) : [];
    io.stdout(
      json
        ? `${JSON.stringify({ diagnoses: diagnoses.map(diagnosisJson) })}\n`
        : `${renderText({ type: 'diagnoses', diagnoses })}\n`,
    );
    return EXIT.ok;
  } catch (err) {
    if (err instanceof AzureError) return azureFailure(err, 'diagnose', io);
    throw err;
  }
}
