import { createMemoryLedger } from '../../../../src/storage/ledger/memory-ledger.js';
import { runLedgerSuite } from './ledger-suite.js';

runLedgerSuite('createMemoryLedger()', () => ({ open: () => createMemoryLedger() }), { durable: false });
