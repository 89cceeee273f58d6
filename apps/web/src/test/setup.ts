import { configure } from '@testing-library/react';

// On a busy shared machine a lazy chunk or a Mantine tree can take longer than testing-library's 1 s
// default to appear; a `findBy…` that fails still fails, only later.
configure({ asyncUtilTimeout: 5000 });
