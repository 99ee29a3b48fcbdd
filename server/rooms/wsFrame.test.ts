import type { AddressInfo, Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { eventFrame } from './wsFrame.js';

const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** What a real WebSocket client reads when the frame is written straight to the TCP socket. */
async function received(frame: Buffer): Promise<string> {
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const message = new Promise<string>((resolve, reject) => {
    client.once('message', (data: Buffer, isBinary: boolean) => (isBinary ? reject(new Error('binary')) : resolve(data.toString('utf8'))));
    client.once('error', reject);
  });
  server.once('connection', (ws) => (ws as unknown as { _socket: Socket })._socket.write(frame));
  const text = await message;
  client.close();
  return text;
}

describe('eventFrame', () => {
  it('is the WebSocket text frame of the Socket.IO event, for short, long and over-64-KB payloads', async () => {
    const pose = { position: [4.6, 1.6, 5.4], target: [0, 0.6, 0], fov: 40, t: 12_345 };
    expect(await received(eventFrame('camera:pose', pose))).toBe(`42${JSON.stringify(['camera:pose', pose])}`);
    expect(eventFrame('x', 1)[1]).toBeLessThan(126);
    const long = { text: 'é'.repeat(3_000) };
    expect(await received(eventFrame('camera:pose', long))).toBe(`42${JSON.stringify(['camera:pose', long])}`);
    const huge = { text: 'x'.repeat(70_000) }; // past 64 KB: the 64-bit length
    expect(eventFrame('x', huge)[1]).toBe(127);
    expect(await received(eventFrame('questions:changed', huge))).toBe(`42${JSON.stringify(['questions:changed', huge])}`);
  });
});
