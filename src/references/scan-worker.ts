import { parentPort, workerData } from 'node:worker_threads';
import type { UserExtractorConfig } from './config.js';
import { extractorSelector } from './extractors.js';
import { type FileScan, readCappedSync, scanContent } from './scan-file.js';

/** What `scan.ts` hands each worker when it starts. */
export interface ScanWorkerData {
  readonly configDir: string;
  readonly extractors: readonly UserExtractorConfig[];
}

/** A batch of files to scan (relative to `configDir`), answered with one `FileScan` per file, in order. */
export interface ScanWorkerRequest {
  readonly batch: number;
  readonly files: readonly string[];
}
export interface ScanWorkerResponse {
  readonly batch: number;
  readonly scans: readonly FileScan[];
}

if (parentPort) {
  const port = parentPort;
  const data = workerData as ScanWorkerData;
  const select = extractorSelector(data.extractors);
  port.on('message', (request: ScanWorkerRequest) => {
    const scans = request.files.map((file) =>
      scanContent(file, readCappedSync(`${data.configDir}/${file}`), select(file)),
    );
    port.postMessage({ batch: request.batch, scans } satisfies ScanWorkerResponse);
  });
}
