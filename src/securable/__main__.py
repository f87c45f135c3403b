from securable.cli import run

run()
