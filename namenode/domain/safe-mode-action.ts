/** ClientProtocol's SafeModeAction. FORCE_EXIT equals LEAVE in nnfleet: there is no startup safe mode to cut short. */
export type SafeModeAction = 'get' | 'enter' | 'leave' | 'forceExit';
