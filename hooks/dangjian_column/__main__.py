import sys

from dangjian_column.commands.cli import main

sys.exit(main())
