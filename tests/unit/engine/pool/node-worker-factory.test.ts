import { describe, expect, it } from "vitest";
import { workerExecArgv } from "../../../../src/lib/proof/engine/pool/node-worker-factory.js";

describe("workerExecArgv", () => {
  it("drops --input-type and the eval/print code in both spellings, keeps the rest", () => {
    expect(workerExecArgv(["--input-type=module", "-e", "console.log(1)"])).toEqual([]);
    expect(workerExecArgv(["--input-type", "module", "--eval", "x()", "--max-old-space-size=512"])).toEqual(["--max-old-space-size=512"]);
    expect(workerExecArgv(["--import", "tsx", "-p", "1+1", "--enable-source-maps"])).toEqual(["--import", "tsx", "--enable-source-maps"]);
    expect(workerExecArgv(["--check", "--watch", "--watch-path", "src", "--conditions=development"])).toEqual(["--conditions=development"]);
  });

  it("leaves an ordinary execArgv as it is", () => {
    const argv = ["--no-warnings", "--stack-size=2000", "--experimental-vm-modules"];
    expect(workerExecArgv(argv)).toEqual(argv);
  });
});
