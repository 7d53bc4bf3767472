import sys
from pathlib import Path

# Import the package from this checkout (no installation needed).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROOT = Path(__file__).resolve().parents[3]
