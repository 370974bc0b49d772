from components.cli.main import main

raise SystemExit(main())
