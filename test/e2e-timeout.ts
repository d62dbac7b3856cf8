// End-to-end suites start JVMs and clusters: give them minutes, not Jest's default 5 s.
jest.setTimeout(180_000);
