from dutyctl.launcher import run

run()
