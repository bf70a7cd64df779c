import { searchTimeLimit } from "../../src/runtime/deadline.ts";

// Before each test file: a search's time limit is a guard against a hang here, not the
// product's 1 s. At load 15–25 on a shared two-core machine, ordinary searches of the fixtures
// ran past 1 s and failed at random (ranking on PostgreSQL, the query properties). The tests
// of the limit itself give their own (`withDeadline`, `runSliced({ seconds })`, or set it).
searchTimeLimit.seconds = 30;
