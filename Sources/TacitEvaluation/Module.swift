import TacitCore
