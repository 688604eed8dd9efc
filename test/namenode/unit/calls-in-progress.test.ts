import { CallsInProgress } from '../../../namenode/ipc/calls-in-progress';

test('recentPeak is the most calls served at once in this window or the last, and forgets an idle spell', () => {
  let now = 0;
  const calls = new CallsInProgress(() => now);
  const listened: number[] = [];
  calls.onEnd(() => listened.push(calls.count));
  for (let i = 0; i < 5; i++) calls.begin();
  for (let i = 0; i < 4; i++) calls.end();
  expect(calls.count).toBe(1);
  expect(calls.recentPeak).toBe(5);
  expect(listened).toEqual([4, 3, 2, 1]);
  // The next window still remembers the last one's peak.
  now = 1_500;
  calls.begin();
  expect(calls.recentPeak).toBe(5);
  // Two windows on, only this one's.
  now = 2_600;
  expect(calls.recentPeak).toBe(2);
  calls.end();
  calls.end();
  // After an idle spell longer than a window, nothing is left from before it.
  now = 10_000;
  expect(calls.recentPeak).toBe(0);
  calls.begin();
  expect(calls.recentPeak).toBe(1);
});
