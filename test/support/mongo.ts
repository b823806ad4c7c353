// A database for one test suite: the real MongoDB at MONGODB_URI when set (a unique database,
// dropped on close), otherwise a fresh in-memory embedded store on a free loopback port.
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { startEmbeddedStore } from '../../models/embedded/index.js';

export interface TestDatabase {
  uri: string;
  dbName: string;
  close(): Promise<void>;
}

export async function useTestDatabase(name: string): Promise<TestDatabase> {
  const safe = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
  const dbName = `${safe}_${randomBytes(4).toString('hex')}`;
  const external = process.env.MONGODB_URI;
  if (external) {
    return {
      uri: external,
      dbName,
      close: () => dropDatabase(external, dbName),
    };
  }
  const store = await startEmbeddedStore({ dataDir: null, port: 0 });
  return { uri: store.uri, dbName, close: () => store.close() };
}

/** Drops one database of a real MongoDB, for suites that point a spawned desk at MONGODB_URI. */
export async function dropDatabase(uri: string, dbName: string): Promise<void> {
  const client = await MongoClient.connect(uri);
  try {
    await client.db(dbName).dropDatabase();
  } finally {
    await client.close();
  }
}
