from dutyctl.cli import main

main()
