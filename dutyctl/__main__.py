from dutyctl.launcher import main

main()
