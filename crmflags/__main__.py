from crmflags.cli import main

main()
